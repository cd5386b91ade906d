import os

import jwt

SECRET = os.environ["JWT_SECRET"]


def issue(payload):
    # ruleid: python-jwt-none-algorithm
    unsigned = jwt.encode(payload, None, algorithm="none")
    # ok: python-jwt-none-algorithm
    signed = jwt.encode(payload, SECRET, algorithm="HS256")
    # ruleid: python-jwt-none-algorithm
    also_unsigned = jwt.encode(payload, "", "none")
    return unsigned, signed, also_unsigned


def verify(token):
    # ruleid: python-jwt-none-algorithm
    a = jwt.decode(token, SECRET, algorithms=["HS256", "none"])
    # ok: python-jwt-none-algorithm
    b = jwt.decode(token, SECRET, algorithms=["HS256"])
    # ruleid: python-jwt-none-algorithm
    c = jwt.decode(token, SECRET, algorithms=["None"])
    return a, b, c
