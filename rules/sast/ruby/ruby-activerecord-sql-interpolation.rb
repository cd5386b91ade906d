class UsersController < ApplicationController
  def index
    # ruleid: ruby-activerecord-sql-interpolation
    @users = User.where("name = '#{params[:name]}'")
    # ok: ruby-activerecord-sql-interpolation
    @users = User.where("name = ?", params[:name])
    # ok: ruby-activerecord-sql-interpolation
    @users = User.where(name: params[:name])
    # ruleid: ruby-activerecord-sql-interpolation
    @admins = User.active.where.not("role = '#{params[:role]}'")
  end

  def search
    # ruleid: ruby-activerecord-sql-interpolation
    rows = User.find_by_sql("SELECT * FROM users WHERE email LIKE '%#{params[:q]}%'")
    # ok: ruby-activerecord-sql-interpolation
    rows2 = User.find_by_sql(["SELECT * FROM users WHERE email LIKE ?", "%#{params[:q]}%"])
    # ruleid: ruby-activerecord-sql-interpolation
    sorted = User.order("#{params[:sort]} ASC")
    # ok: ruby-activerecord-sql-interpolation
    sorted2 = User.order(created_at: :desc)
    render json: [rows, rows2, sorted, sorted2]
  end
end
