from flask import Flask, make_response

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    resp = make_response("ok")
    # ruleid: python-flask-cookie-insecure
    resp.set_cookie("session_id", "abc")
    # ok: python-flask-cookie-insecure
    resp.delete_cookie("legacy")
    # ok: python-flask-cookie-insecure
    resp.set_cookie("session_id", "abc", secure=True, httponly=True, samesite="Lax")
    # ruleid: python-flask-cookie-insecure
    resp.set_cookie("remember", "1", max_age=3600, secure=True)
    # ok: python-flask-cookie-insecure
    resp.set_cookie("remember", "1", max_age=3600, httponly=True, secure=True)
    # ruleid: python-flask-cookie-insecure
    resp.set_cookie("pref", "dark", secure=False, httponly=True)
    # ok: python-flask-cookie-insecure
    resp.set_cookie("pref", "dark", secure=True, httponly=True)
    return resp
