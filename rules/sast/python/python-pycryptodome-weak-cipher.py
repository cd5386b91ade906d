from Crypto.Cipher import AES, ARC4, DES
from Cryptodome.Cipher import DES3
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def legacy_encrypt(key8, key24, key32, data, nonce):
    # ruleid: python-pycryptodome-weak-cipher
    c1 = DES.new(key8, DES.MODE_CBC)
    # ruleid: python-pycryptodome-weak-cipher
    c2 = DES3.new(key24, DES3.MODE_CBC)
    # ruleid: python-pycryptodome-weak-cipher
    stream = ARC4.new(key8)
    # ok: python-pycryptodome-weak-cipher
    c3 = AES.new(key32, AES.MODE_GCM, nonce=nonce)
    return c1, c2, stream, c3


def hazmat(key24, key32, iv, nonce):
    # ruleid: python-pycryptodome-weak-cipher
    weak = Cipher(algorithms.TripleDES(key24), modes.CBC(iv))
    # ok: python-pycryptodome-weak-cipher
    strong = Cipher(algorithms.AES(key32), modes.GCM(nonce))
    # ok: python-pycryptodome-weak-cipher
    chacha = algorithms.ChaCha20(key32, nonce)
    return weak, strong, chacha
