package io.vecwatch.config;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM certificates and private keys, read the way Go's {@code tls.X509KeyPair} reads them and
 * failing with its texts, so a web config file that exporters reject is rejected here with the same
 * words. Keys may be PKCS#8 ({@code PRIVATE KEY}: RSA, EC, Ed25519), PKCS#1 ({@code RSA PRIVATE
 * KEY}) or SEC 1 ({@code EC PRIVATE KEY}).
 */
public final class PemMaterial {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  // rsaEncryption and id-ecPublicKey, DER encoded with their tag and length
  private static final byte[] RSA_OID = {
    0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01
  };
  private static final byte[] EC_OID = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  /** A certificate chain (leaf first) and its private key. */
  public record KeyPair(List<X509Certificate> chain, PrivateKey key) {
    public KeyPair {
      chain = List.copyOf(chain);
    }
  }

  private record Block(String type, byte[] der) {}

  private PemMaterial() {}

  /**
   * Parses a certificate chain and its key; throws with Go's {@code tls.X509KeyPair} texts (without
   * the {@code failed to load X509KeyPair: } prefix the caller adds).
   */
  public static KeyPair keyPair(byte[] certPem, byte[] keyPem) throws GeneralSecurityException {
    List<Block> certBlocks = blocks(certPem);
    List<Block> certs = certBlocks.stream().filter(b -> b.type().equals("CERTIFICATE")).toList();
    if (certs.isEmpty()) {
      if (certBlocks.isEmpty()) {
        throw new GeneralSecurityException("tls: failed to find any PEM data in certificate input");
      }
      if (certBlocks.stream().anyMatch(b -> b.type().endsWith("PRIVATE KEY"))) {
        throw new GeneralSecurityException(
            "tls: failed to find certificate PEM data in certificate input, but did "
                + "find a private key; PEM inputs may have been switched");
      }
      throw new GeneralSecurityException(
          "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after "
              + "skipping PEM blocks of the following types: "
              + certBlocks.stream().map(Block::type).toList());
    }
    List<X509Certificate> chain = new ArrayList<>();
    for (Block b : certs) {
      chain.add(certificate(b.der()));
    }
    List<Block> keyBlocks = blocks(keyPem);
    Block keyBlock =
        keyBlocks.stream()
            .filter(b -> b.type().equals("PRIVATE KEY") || b.type().endsWith(" PRIVATE KEY"))
            .findFirst()
            .orElse(null);
    if (keyBlock == null) {
      if (keyBlocks.isEmpty()) {
        throw new GeneralSecurityException("tls: failed to find any PEM data in key input");
      }
      if (keyBlocks.stream().anyMatch(b -> b.type().equals("CERTIFICATE"))) {
        throw new GeneralSecurityException(
            "tls: found a certificate rather than a key in the PEM for the private key");
      }
      throw new GeneralSecurityException(
          "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key "
              + "input after skipping PEM blocks of the following types: "
              + keyBlocks.stream().map(Block::type).toList());
    }
    PrivateKey key = privateKey(keyBlock);
    checkMatches(chain.get(0).getPublicKey(), key);
    return new KeyPair(chain, key);
  }

  /**
   * Every {@code CERTIFICATE} block of {@code pem}; other blocks and bad ones are skipped, as Go's
   * cert pool does.
   */
  public static List<X509Certificate> certificates(byte[] pem) {
    List<X509Certificate> out = new ArrayList<>();
    for (Block b : blocks(pem)) {
      if (b.type().equals("CERTIFICATE")) {
        try {
          out.add(certificate(b.der()));
        } catch (GeneralSecurityException e) {
          // skipped like x509.CertPool.AppendCertsFromPEM does
        }
      }
    }
    return out;
  }

  private static List<Block> blocks(byte[] pem) {
    List<Block> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
    while (m.find()) {
      try {
        out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
      } catch (IllegalArgumentException e) {
        // not valid base64: not a PEM block, as in Go's pem.Decode
      }
    }
    return out;
  }

  private static X509Certificate certificate(byte[] der) throws GeneralSecurityException {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new GeneralSecurityException("x509: malformed certificate");
    }
  }

  private static PrivateKey privateKey(Block b) throws GeneralSecurityException {
    byte[] pkcs8;
    List<String> algorithms;
    switch (b.type()) {
      case "PRIVATE KEY" -> {
        pkcs8 = b.der();
        algorithms = List.of("RSA", "EC", "Ed25519", "Ed448");
      }
      case "RSA PRIVATE KEY" -> {
        pkcs8 = wrapPkcs8(concat(RSA_OID, new byte[] {0x05, 0x00}), b.der());
        algorithms = List.of("RSA");
      }
      case "EC PRIVATE KEY" -> {
        byte[] curve = sec1Curve(b.der());
        if (curve == null) {
          throw new GeneralSecurityException("tls: failed to parse private key");
        }
        pkcs8 = wrapPkcs8(concat(EC_OID, curve), b.der());
        algorithms = List.of("EC");
      }
      default -> throw new GeneralSecurityException("tls: failed to parse private key");
    }
    for (String alg : algorithms) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        // try the next algorithm
      }
    }
    throw new GeneralSecurityException("tls: failed to parse private key");
  }

  /** Signs and verifies a message: the cheapest check that works for every key type. */
  private static void checkMatches(PublicKey pub, PrivateKey key) throws GeneralSecurityException {
    String pubAlg = normalise(pub.getAlgorithm());
    String keyAlg = normalise(key.getAlgorithm());
    if (!pubAlg.equals(keyAlg)) {
      throw new GeneralSecurityException("tls: private key type does not match public key type");
    }
    String sigAlg =
        switch (keyAlg) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> keyAlg;
        };
    byte[] msg = "vecwatch key check".getBytes(StandardCharsets.US_ASCII);
    boolean ok;
    try {
      Signature s = Signature.getInstance(sigAlg);
      s.initSign(key);
      s.update(msg);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(sigAlg);
      v.initVerify(pub);
      v.update(msg);
      ok = v.verify(sig);
    } catch (GeneralSecurityException e) {
      ok = false;
    }
    if (!ok) {
      throw new GeneralSecurityException("tls: private key does not match public key");
    }
  }

  private static String normalise(String alg) {
    return alg.equals("EdDSA") || alg.equals("Ed25519") || alg.equals("Ed448") ? "EdDSA" : alg;
  }

  /** PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier, OCTET STRING key }. */
  private static byte[] wrapPkcs8(byte[] algorithmContent, byte[] key) {
    return der(
        0x30, concat(new byte[] {0x02, 0x01, 0x00}, der(0x30, algorithmContent), der(0x04, key)));
  }

  /**
   * The named curve OID (tag and length included) of a SEC 1 ECPrivateKey, from its {@code [0]}
   * field.
   */
  private static byte[] sec1Curve(byte[] der) {
    int[] seq = header(der, 0);
    if (seq == null || der[0] != 0x30) {
      return null;
    }
    int pos = seq[0];
    int end = Math.min(der.length, seq[0] + seq[1]);
    while (pos < end) {
      int[] h = header(der, pos);
      if (h == null) {
        return null;
      }
      if ((der[pos] & 0xff) == 0xa0) {
        int[] oid = header(der, h[0]);
        if (oid == null || der[h[0]] != 0x06) {
          return null;
        }
        byte[] out = new byte[oid[0] - h[0] + oid[1]];
        System.arraycopy(der, h[0], out, 0, out.length);
        return out;
      }
      pos = h[0] + h[1];
    }
    return null;
  }

  /** {content start, content length} of the DER element at {@code pos}, or null when malformed. */
  private static int[] header(byte[] der, int pos) {
    if (pos + 2 > der.length) {
      return null;
    }
    int len = der[pos + 1] & 0xff;
    int start = pos + 2;
    if (len >= 0x80) {
      int n = len & 0x7f;
      if (n == 0 || n > 3 || start + n > der.length) {
        return null;
      }
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (der[start + i] & 0xff);
      }
      start += n;
    }
    return start + len > der.length ? null : new int[] {start, len};
  }

  private static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write(n >> 8);
      out.write(n);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
