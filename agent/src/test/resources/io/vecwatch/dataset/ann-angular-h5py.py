# Writes ann-angular-h5py.hdf5 the way ann-benchmarks does (h5py: variable-length string attribute "distance",
# float32 train/test, int64 neighbors, float32 distances). Kept to show where the fixture came from:
#   python3 -m venv v && v/bin/pip install h5py numpy && v/bin/python ann-angular-h5py.py
import h5py, numpy as np
rng = np.random.default_rng(17)
train = rng.normal(size=(40, 6)).astype(np.float32)
test = rng.normal(size=(4, 6)).astype(np.float32)
# ann-benchmarks "angular": 1 - cosine similarity
tn = train / np.linalg.norm(train, axis=1, keepdims=True)
qn = test / np.linalg.norm(test, axis=1, keepdims=True)
d = 1.0 - qn.astype(np.float64) @ tn.astype(np.float64).T
order = np.argsort(d, axis=1, kind="stable")[:, :10]
with h5py.File("ann-angular-h5py.hdf5", "w") as f:
    f.attrs["distance"] = "angular"
    f.attrs["point_type"] = "float"
    f.create_dataset("train", data=train)
    f.create_dataset("test", data=test)
    f.create_dataset("neighbors", data=order.astype(np.int64))
    f.create_dataset("distances", data=np.take_along_axis(d, order, axis=1).astype(np.float32))
