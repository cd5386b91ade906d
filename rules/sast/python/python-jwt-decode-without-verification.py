import jwt


def current_user(token, public_key):
    # ruleid: python-jwt-decode-without-verification
    claims = jwt.decode(token, options={"verify_signature": False})
    # ok: python-jwt-decode-without-verification
    claims2 = jwt.decode(token, public_key, algorithms=["RS256"])
    return claims, claims2


def legacy_user(token, secret):
    # ruleid: python-jwt-decode-without-verification
    claims = jwt.decode(token, secret, verify=False)
    # ok: python-jwt-decode-without-verification
    claims2 = jwt.decode(token, secret, algorithms=["HS256"], verify=True)
    return claims, claims2


def audience_relaxed(token, public_key):
    # ruleid: python-jwt-decode-without-verification
    a = jwt.decode(token, public_key, algorithms=["RS256"], options={"verify_aud": False, "verify_signature": False})
    # ok: python-jwt-decode-without-verification
    b = jwt.decode(token, public_key, algorithms=["RS256"], options={"verify_aud": False})
    return a, b


def relaxed_dict(token):
    # ruleid: python-jwt-decode-without-verification
    return jwt.decode(token, options=dict(verify_signature=False))
