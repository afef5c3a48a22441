"""Convert scikit-learn's bundled handwritten digits into ``src/geoent/data/digits.npz``.

Run once, offline, with scikit-learn installed (it reads the copy bundled in the
scikit-learn wheel, ``sklearn/datasets/data/digits.csv.gz``; nothing is downloaded)::

    python data/make_digits.py

geoent never imports scikit-learn: the experiments read the npz.
"""

from pathlib import Path

import numpy as np
import sklearn
from sklearn.datasets import load_digits

OUT = Path(__file__).resolve().parents[1] / "src" / "geoent" / "data" / "digits.npz"


def main():
    d = load_digits()
    images = d.images.astype(np.uint8)  # (1797, 8, 8), integers 0..16
    target = d.target.astype(np.uint8)
    assert images.shape == (1797, 8, 8) and images.max() == 16
    np.savez_compressed(
        OUT,
        images=images,
        target=target,
        source=np.array(
            f"scikit-learn {sklearn.__version__} sklearn/datasets/data/digits.csv.gz "
            "(UCI ML Optical Recognition of Handwritten Digits, test set; "
            "E. Alpaydin and C. Kaynak, 1998)"
        ),
    )
    print(OUT, OUT.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
