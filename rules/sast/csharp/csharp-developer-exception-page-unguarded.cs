using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;

public class Startup
{
    public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
    {
        // ruleid: csharp-developer-exception-page-unguarded
        app.UseDeveloperExceptionPage();
        app.UseRouting();
    }

    public void ConfigureGuarded(IApplicationBuilder app, IWebHostEnvironment env)
    {
        if (env.IsDevelopment())
        {
            // ok: csharp-developer-exception-page-unguarded
            app.UseDeveloperExceptionPage();
        }
        else
        {
            app.UseExceptionHandler("/error");
        }
    }
}

public static class Program
{
    public static void Run(WebApplication app)
    {
        if (app.Environment.IsStaging())
        {
            // ruleid: csharp-developer-exception-page-unguarded
            app.UseDeveloperExceptionPage();
        }
        if (app.Environment.IsDevelopment())
            // ok: csharp-developer-exception-page-unguarded
            app.UseDeveloperExceptionPage();
        if (app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        else
        {
            // ruleid: csharp-developer-exception-page-unguarded
            app.UseDeveloperExceptionPage();
        }
    }
}
