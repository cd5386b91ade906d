require "yaml"

class ImportsController < ApplicationController
  def create
    body = request.body.read
    # ruleid: ruby-yaml-unsafe-load
    doc = YAML.load(body)
    # ok: ruby-yaml-unsafe-load
    safe = YAML.safe_load(body, permitted_classes: [Date], aliases: false)
    # ruleid: ruby-yaml-unsafe-load
    legacy = Psych.unsafe_load(params[:payload])
    # ok: ruby-yaml-unsafe-load
    legacy_safe = Psych.safe_load(params[:payload])
    render json: { doc: doc, safe: safe, legacy: legacy, legacy_safe: legacy_safe }
  end

  def defaults
    # ruleid: ruby-yaml-unsafe-load
    cfg = YAML.unsafe_load_file(params[:path])
    # ok: ruby-yaml-unsafe-load
    cfg2 = YAML.safe_load_file("config/defaults.yml")
    # ok: ruby-yaml-unsafe-load
    fixed = YAML.load("--- {retries: 3}")
    [cfg, cfg2, fixed]
  end
end
