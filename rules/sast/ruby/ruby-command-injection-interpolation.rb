require "open3"
require "shellwords"

class ExportJob
  def thumbnail(src, dst)
    # ruleid: ruby-command-injection-interpolation
    system("convert #{src} -resize 128x128 #{dst}")
    # ok: ruby-command-injection-interpolation
    system("convert", src, "-resize", "128x128", dst)
  end

  def log_for(branch)
    # ruleid: ruby-command-injection-interpolation
    out = `git log --oneline #{branch}`
    # ok: ruby-command-injection-interpolation
    out2 = `git log --oneline -n 5`
    # ruleid: ruby-command-injection-interpolation
    out2 += %x(git branch --contains #{branch})
    # ruleid: ruby-command-injection-interpolation
    out3, _status = Open3.capture2("git show #{branch}")
    # ok: ruby-command-injection-interpolation
    out4, _status = Open3.capture2("git", "show", branch)
    [out, out2, out3, out4]
  end

  def run(cmd, dir)
    # ruleid: ruby-command-injection-interpolation
    exec(cmd)
    # ok: ruby-command-injection-interpolation
    IO.popen(["ls", "-la", dir]) { |io| io.read }
    # ok: ruby-command-injection-interpolation
    system(Shellwords.join(["du", "-sh", dir]))
  end
end

def report(msg)
  # ok: ruby-command-injection-interpolation
  Kernel.puts(msg)
  # ruleid: ruby-command-injection-interpolation
  Kernel.system("notify-send #{msg}")
end
