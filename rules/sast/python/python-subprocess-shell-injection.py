import shlex
import subprocess


def thumbnail(src, dst):
    # ruleid: python-subprocess-shell-injection
    subprocess.run(f"convert {src} -resize 128x128 {dst}", shell=True, check=True)
    # ok: python-subprocess-shell-injection
    subprocess.run(["convert", src, "-resize", "128x128", dst], check=True)


def grep(pattern, path):
    cmd = "grep -r " + pattern + " " + path
    # ruleid: python-subprocess-shell-injection
    out = subprocess.check_output(cmd, shell=True)
    # ok: python-subprocess-shell-injection
    out2 = subprocess.check_output(["grep", "-r", pattern, path])
    # ok: python-subprocess-shell-injection
    out3 = subprocess.check_output("grep -r TODO src | wc -l", shell=True)
    return out, out2, out3


def status(branch):
    # ruleid: python-subprocess-shell-injection
    head = subprocess.getoutput("git rev-parse " + branch)
    # ok: python-subprocess-shell-injection
    head2 = subprocess.getoutput("git rev-parse HEAD")
    # ok: python-subprocess-shell-injection
    proc = subprocess.Popen(shlex.join(["git", "log", branch]), shell=True)
    return head, head2, proc
