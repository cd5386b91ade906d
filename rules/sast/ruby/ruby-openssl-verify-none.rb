require "net/http"
require "openssl"

def fetch(uri)
  http = Net::HTTP.new(uri.host, uri.port)
  http.use_ssl = true
  # ruleid: ruby-openssl-verify-none
  http.verify_mode = OpenSSL::SSL::VERIFY_NONE
  # ok: ruby-openssl-verify-none
  http.verify_mode = OpenSSL::SSL::VERIFY_PEER
  http.get(uri.request_uri)
end

def start(uri)
  # ruleid: ruby-openssl-verify-none
  Net::HTTP.start(uri.host, uri.port, use_ssl: true, verify_mode: OpenSSL::SSL::VERIFY_NONE) do |h|
    h.get(uri.path)
  end
  # ok: ruby-openssl-verify-none
  Net::HTTP.start(uri.host, uri.port, use_ssl: true, ca_file: "/etc/pki/internal-ca.pem") do |h|
    h.get(uri.path)
  end
end

def audit(ctx)
  # ok: ruby-openssl-verify-none
  warn "verification disabled" if ctx.verify_mode == OpenSSL::SSL::VERIFY_NONE
end
