require "base64"
require "json"

class SessionsController < ApplicationController
  def restore
    raw = Base64.decode64(cookies[:state])
    # ruleid: ruby-marshal-load
    state = Marshal.load(raw)
    # ok: ruby-marshal-load
    state_json = JSON.parse(raw)
    render json: { state: state, json: state_json }
  end

  def from_cache(key)
    # ruleid: ruby-marshal-load
    Marshal.restore(Rails.cache.read(key))
  end

  def deep_copy(obj)
    # ok: ruby-marshal-load
    Marshal.load(Marshal.dump(obj))
  end

  def store(obj)
    # ok: ruby-marshal-load
    Rails.cache.write("k", Marshal.dump(obj))
  end
end
