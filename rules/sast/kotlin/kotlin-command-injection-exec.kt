import java.io.File

fun unsafe(host: String, file: File) {
    // ruleid: kotlin-command-injection-exec
    Runtime.getRuntime().exec("ping -c 1 $host")
    // ruleid: kotlin-command-injection-exec
    Runtime.getRuntime().exec("tar xf " + file.path)
    // ruleid: kotlin-command-injection-exec
    ProcessBuilder("sh", "-c", "grep ${host} /etc/hosts").start()
    // ruleid: kotlin-command-injection-exec
    ProcessBuilder("sh", "-c", "cat " + file.path).start()
    // ruleid: kotlin-command-injection-exec
    Runtime.getRuntime().exec(arrayOf("/bin/bash", "-c", file.readText()))
}

fun safer(host: String, file: File) {
    // ok: kotlin-command-injection-exec
    Runtime.getRuntime().exec(arrayOf("ping", "-c", "1", host))
    // ok: kotlin-command-injection-exec
    ProcessBuilder("tar", "xf", file.path).start()
    // ok: kotlin-command-injection-exec
    ProcessBuilder("sh", "-c", "ls -l /var/log").start()
    // ok: kotlin-command-injection-exec
    Runtime.getRuntime().exec("uptime")
    // ok: kotlin-command-injection-exec
    Runtime.getRuntime().exec("echo \$HOME")
    // ok: kotlin-command-injection-exec
    Runtime.getRuntime().exec("g++ -O2 main.cpp")
}
