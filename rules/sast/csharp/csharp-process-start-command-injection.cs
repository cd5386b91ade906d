using System.Diagnostics;

public class Tools
{
    public void Unsafe(string host, string file)
    {
        // ruleid: csharp-process-start-command-injection
        Process.Start("cmd.exe", "/c ping " + host);
        // ruleid: csharp-process-start-command-injection
        Process.Start("/bin/sh", $"-c \"tar xf {file}\"");
        // ruleid: csharp-process-start-command-injection
        var psi = new ProcessStartInfo("git", string.Format("log --author={0}", host));
        // ruleid: csharp-process-start-command-injection
        psi.Arguments = "clone " + host;
        var other = new ProcessStartInfo
        {
            FileName = "ffmpeg",
            // ruleid: csharp-process-start-command-injection
            Arguments = $"-i {file} out.mp4",
        };
    }

    public void Safer(string host, string file)
    {
        var psi = new ProcessStartInfo("ping");
        // ok: csharp-process-start-command-injection
        psi.ArgumentList.Add(host);
        // ok: csharp-process-start-command-injection
        Process.Start("tar", "xf " + "/var/backup/nightly.tar");
        // ok: csharp-process-start-command-injection
        Process.Start("git", "status");
        // ok: csharp-process-start-command-injection
        psi.Arguments = "-n 4";
    }
}
