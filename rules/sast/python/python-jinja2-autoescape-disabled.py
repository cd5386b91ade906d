import jinja2
from jinja2 import Environment, FileSystemLoader, select_autoescape


def html_env(template_dir):
    # ruleid: python-jinja2-autoescape-disabled
    env = Environment(loader=FileSystemLoader(template_dir))
    # ok: python-jinja2-autoescape-disabled
    env2 = Environment(loader=FileSystemLoader(template_dir), autoescape=select_autoescape())
    return env, env2


def mail_env(template_dir):
    # ruleid: python-jinja2-autoescape-disabled
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(template_dir), autoescape=False)
    # ok: python-jinja2-autoescape-disabled
    env2 = jinja2.Environment(loader=jinja2.FileSystemLoader(template_dir), autoescape=True)
    # ok: python-jinja2-autoescape-disabled
    env3 = jinja2.Environment(autoescape=select_autoescape(["html", "xml"]))
    return env, env2, env3
