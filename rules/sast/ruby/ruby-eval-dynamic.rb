class Calculator
  OPS = { "add" => ->(a, b) { a + b } }.freeze

  def compute(params)
    # ruleid: ruby-eval-dynamic
    eval(params[:expr])
    # ok: ruby-eval-dynamic
    OPS.fetch(params[:op]).call(params[:a].to_i, params[:b].to_i)
  end

  def template(name)
    # ruleid: ruby-eval-dynamic
    eval("render_#{name}")
    # ok: ruby-eval-dynamic
    eval("1 + 2")
  end

  def patch(klass, code)
    # ruleid: ruby-eval-dynamic
    klass.class_eval(code)
    # ok: ruby-eval-dynamic
    klass.class_eval { attr_accessor :extra }
    # ruleid: ruby-eval-dynamic
    binding.eval(code)
    # ok: ruby-eval-dynamic
    klass.instance_eval("@count = 0")
  end
end
