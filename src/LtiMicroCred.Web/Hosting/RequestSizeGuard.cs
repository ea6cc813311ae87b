using Microsoft.AspNetCore.Http.Features;

namespace LtiMicroCred.Web.Hosting;

/// <summary>
/// Answers 413 with a sentence when a request says it is larger than its endpoint accepts (an upload page's
/// [RequestSizeLimit], set by routing). Without this, the first reader of the form is the launch-token lookup inside
/// authentication, where the server's "too large" error becomes a 500 and an error log.
/// </summary>
public static class RequestSizeGuard
{
    public static IApplicationBuilder UseRequestSizeGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
            if (limit is { } max && context.Request.ContentLength > max)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                context.Response.ContentType = "text/html; charset=utf-8";
                var megabytes = Math.Max(1, max / (1024 * 1024));
                await context.Response.WriteAsync(
                    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too large - LtiMicroCred</title>" +
                    "<link rel=\"stylesheet\" href=\"/css/site.css\"></head><body><main id=\"main\"><h1>What you sent is too large</h1>" +
                    $"<p>This page accepts at most {megabytes} MB. Go back, split the file into smaller ones and send them one by one.</p></main></body></html>");
                return;
            }

            await next(context);
        });
}
