import java.io.IOException;

public class Commands {
    void unsafe(String host, String file) throws IOException {
        // ruleid: java-command-injection-exec
        Runtime.getRuntime().exec("ping -c 1 " + host);
        // ruleid: java-command-injection-exec
        Runtime.getRuntime().exec(String.format("tar xf %s", file));
        // ruleid: java-command-injection-exec
        new ProcessBuilder("sh", "-c", "grep " + host + " /etc/hosts").start();
        // ruleid: java-command-injection-exec
        new ProcessBuilder("/bin/bash", "-c", file).start();
        // ruleid: java-command-injection-exec
        Runtime.getRuntime().exec(new String[] {"cmd.exe", "/c", "type " + file});
    }

    void safer(String host, String file) throws IOException {
        // ok: java-command-injection-exec
        Runtime.getRuntime().exec(new String[] {"ping", "-c", "1", host});
        // ok: java-command-injection-exec
        new ProcessBuilder("tar", "xf", file).start();
        // ok: java-command-injection-exec
        new ProcessBuilder("sh", "-c", "ls -l /var/log").start();
        // ok: java-command-injection-exec
        Runtime.getRuntime().exec("uptime");
        // ok: java-command-injection-exec
        Runtime.getRuntime().exec(new String[] {"cmd.exe", "/c", "dir"});
    }
}
