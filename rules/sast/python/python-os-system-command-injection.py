import os
import subprocess


def backup(db_name, target):
    # ruleid: python-os-system-command-injection
    os.system("pg_dump " + db_name + " > " + target)
    # ok: python-os-system-command-injection
    subprocess.run(["pg_dump", "-f", target, db_name], check=True)
    # ok: python-os-system-command-injection
    os.system("sync")


def disk_usage(path):
    # ruleid: python-os-system-command-injection
    with os.popen(f"du -sh {path}") as p:
        usage = p.read()
    # ok: python-os-system-command-injection
    with os.popen("df -h") as p:
        free = p.read()
    cmd = "ls -la %s" % path
    # ruleid: python-os-system-command-injection
    os.system(cmd)
    return usage, free
