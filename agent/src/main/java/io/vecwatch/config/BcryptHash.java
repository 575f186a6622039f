package io.vecwatch.config;

import java.util.Optional;

/**
 * The shape of a bcrypt hash ({@code $2y$10$...}), checked as Go's {@code bcrypt.Cost} checks it
 * when an exporter loads {@code basic_auth_users}, with the same texts. Never includes the hash in
 * a message.
 */
public final class BcryptHash {
  private static final int MIN_HASH_SIZE = 59;
  private static final int MIN_COST = 4;
  private static final int MAX_COST = 31;

  private BcryptHash() {}

  /** Why {@code hash} is not a bcrypt hash, if it is not. */
  public static Optional<String> problem(String hash) {
    if (hash.length() < MIN_HASH_SIZE) {
      return Optional.of("crypto/bcrypt: hashedSecret too short to be a bcrypted password");
    }
    if (hash.charAt(0) != '$') {
      return Optional.of(
          "crypto/bcrypt: bcrypt hashes must start with '$', but hashedSecret started with '"
              + hash.charAt(0)
              + "'");
    }
    if (hash.charAt(1) > '2') {
      return Optional.of(
          "crypto/bcrypt: bcrypt algorithm version '"
              + hash.charAt(1)
              + "' requested is newer than current version '2'");
    }
    int at = hash.charAt(2) == '$' ? 3 : 4;
    String costText = hash.substring(at, at + 2);
    if (!costText.chars().allMatch(Character::isDigit)) {
      return Optional.of("strconv.Atoi: parsing \"" + costText + "\": invalid syntax");
    }
    int cost = Integer.parseInt(costText);
    if (cost < MIN_COST || cost > MAX_COST) {
      return Optional.of(
          "crypto/bcrypt: cost "
              + cost
              + " is outside allowed inclusive range "
              + MIN_COST
              + ".."
              + MAX_COST);
    }
    return Optional.empty();
  }

  /** The cost factor of a well-formed hash. */
  public static int cost(String hash) {
    int at = hash.charAt(2) == '$' ? 3 : 4;
    return Integer.parseInt(hash.substring(at, at + 2));
  }
}
