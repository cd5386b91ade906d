import random
import secrets
import string

ALPHABET = string.ascii_letters + string.digits


def new_credentials(user):
    # ruleid: python-insecure-random-for-secret
    reset_token = "".join(random.choice(ALPHABET) for _ in range(32))
    # ok: python-insecure-random-for-secret
    reset_token = "".join(secrets.choice(ALPHABET) for _ in range(32))
    # ruleid: python-insecure-random-for-secret
    user.otp = str(random.randint(100000, 999999))
    # ok: python-insecure-random-for-secret
    user.otp = str(secrets.randbelow(900000) + 100000)
    # ruleid: python-insecure-random-for-secret
    api_key = "".join(random.choices(ALPHABET, k=40))
    # ok: python-insecure-random-for-secret
    api_key = secrets.token_urlsafe(30)
    # ruleid: python-insecure-random-for-secret
    nonce = random.getrandbits(64)
    return reset_token, api_key, nonce


def sampling(items):
    # ok: python-insecure-random-for-secret
    backoff = random.uniform(0.5, 1.5)
    # ok: python-insecure-random-for-secret
    shuffled_sample = random.sample(items, 3)
    return backoff, shuffled_sample


def layout():
    # ok: python-insecure-random-for-secret
    footprint = random.random()
    # ruleid: python-insecure-random-for-secret
    sms_otp = random.randrange(10**6)
    return footprint, sms_otp
