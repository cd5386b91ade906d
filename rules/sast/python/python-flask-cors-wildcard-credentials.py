from flask import Flask
from flask_cors import CORS, cross_origin

app = Flask(__name__)
admin = Flask("admin")
api = Flask("api")

# ruleid: python-flask-cors-wildcard-credentials
CORS(app, origins="*", supports_credentials=True)
# ok: python-flask-cors-wildcard-credentials
CORS(app, origins=["https://app.example.com"], supports_credentials=True)
# ruleid: python-flask-cors-wildcard-credentials
CORS(admin, supports_credentials=True)
# ok: python-flask-cors-wildcard-credentials
CORS(admin, origins="https://admin.example.com", supports_credentials=True)
# ok: python-flask-cors-wildcard-credentials
CORS(api, origins="*")


@app.route("/me")
# ruleid: python-flask-cors-wildcard-credentials
@cross_origin(origins="*", supports_credentials=True)
def me():
    return {"user": "demo"}


@app.route("/public")
# ok: python-flask-cors-wildcard-credentials
@cross_origin(origins="*")
def public():
    return {"ok": True}
