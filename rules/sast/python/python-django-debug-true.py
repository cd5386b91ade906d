# Django settings (test target; the rule itself only runs on settings*.py files).
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]

# ruleid: python-django-debug-true
DEBUG = True

# ruleid: python-django-debug-true
TEMPLATE_DEBUG = True

ALLOWED_HOSTS = ["app.example.com"]

if os.environ.get("CI"):
    # ok: python-django-debug-true
    DEBUG = False
    # ok: python-django-debug-true
    TEMPLATE_DEBUG = False
else:
    # ok: python-django-debug-true
    DEBUG = os.environ.get("DJANGO_DEBUG") == "1"

INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]
