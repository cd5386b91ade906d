import os

import jwt
from django.conf import settings


def issue(user_id):
    payload = {"sub": user_id}
    # ruleid: python-jwt-hardcoded-secret
    t1 = jwt.encode(payload, "not-a-real-secret", algorithm="HS256")
    # ok: python-jwt-hardcoded-secret
    t2 = jwt.encode(payload, os.environ["JWT_SECRET"], algorithm="HS256")
    # ruleid: python-jwt-hardcoded-secret
    t3 = jwt.encode(payload, key="changeme-not-a-real-secret", algorithm="HS512")
    # ok: python-jwt-hardcoded-secret
    t4 = jwt.encode(payload, key=settings.JWT_SIGNING_KEY, algorithm="HS512")
    return t1, t2, t3, t4


def check(token):
    # ruleid: python-jwt-hardcoded-secret
    a = jwt.decode(token, "not-a-real-secret", algorithms=["HS256"])
    # ok: python-jwt-hardcoded-secret
    b = jwt.decode(token, settings.JWT_SIGNING_KEY, algorithms=["HS256"])
    return a, b
