from Crypto.Cipher import AES
from Cryptodome.Cipher import AES as AESX
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def encrypt_token(key, data, nonce):
    # ruleid: python-aes-ecb-mode
    c = AES.new(key, AES.MODE_ECB)
    # ok: python-aes-ecb-mode
    g = AES.new(key, AES.MODE_GCM, nonce=nonce)
    # ruleid: python-aes-ecb-mode
    x = AESX.new(key, mode=AESX.MODE_ECB)
    # ok: python-aes-ecb-mode
    y = AESX.new(key, mode=AESX.MODE_GCM)
    return c, g, x, y


def hazmat(key, nonce):
    # ruleid: python-aes-ecb-mode
    ecb = Cipher(algorithms.AES(key), modes.ECB())
    # ok: python-aes-ecb-mode
    gcm = Cipher(algorithms.AES(key), modes.GCM(nonce))
    return ecb, gcm
