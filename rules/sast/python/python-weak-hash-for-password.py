import hashlib
import os
from hashlib import sha1


def store(user, password):
    # ruleid: python-weak-hash-for-password
    user.pw_hash = hashlib.md5(password.encode()).hexdigest()
    salt = os.urandom(16)
    # ok: python-weak-hash-for-password
    user.pw_hash = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)


def check(form, stored):
    # ruleid: python-weak-hash-for-password
    digest = sha1(form.new_pwd).hexdigest()
    # ruleid: python-weak-hash-for-password
    legacy = hashlib.new("md5", form.password.encode("utf-8")).hexdigest()
    # ruleid: python-weak-hash-for-password
    raw = hashlib.sha1(form.data["password"].encode()).digest()
    return stored in (digest, legacy, raw)


def checksums(path, password):
    with open(path, "rb") as fh:
        data = fh.read()
    # ok: python-weak-hash-for-password
    etag = hashlib.md5(data).hexdigest()
    # ok: python-weak-hash-for-password
    scrypted = hashlib.scrypt(password.encode(), salt=b"per-user-salt", n=2**14, r=8, p=1)
    return etag, scrypted
