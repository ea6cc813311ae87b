using LtiMicroCred.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace LtiMicroCred.Web.Pages;

/// <summary>
/// Applied once to every page: loads the actor for <see cref="AppPageModel"/>s, and turns a use case's refusal into a
/// page that says why, with the matching status code, instead of an error page or a stack trace.
/// </summary>
public sealed class UseCasePageFilter(ActorDirectory directory, IModelMetadataProvider metadata) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        try
        {
            if (context.HandlerInstance is AppPageModel page)
            {
                await page.LoadActorAsync(directory, context.HttpContext.RequestAborted);
            }
        }
        catch (UseCaseException refusal)
        {
            context.Result = Refusal(context, refusal);
            return;
        }

        var executed = await next();
        if (executed.Exception is UseCaseException thrown && !executed.ExceptionHandled)
        {
            executed.Result = Refusal(context, thrown);
            executed.ExceptionHandled = true;
        }
    }

    private ViewResult Refusal(PageHandlerExecutingContext context, UseCaseException refusal)
    {
        var (status, title) = refusal switch
        {
            NotFoundException => (StatusCodes.Status404NotFound, "Not found"),
            ForbiddenException => (StatusCodes.Status403Forbidden, "Not allowed"),
            RuleViolationException => (StatusCodes.Status409Conflict, "Not possible now"),
            _ => (StatusCodes.Status400BadRequest, "Please check what you entered"),
        };
        var back = context.HandlerInstance is AppPageModel { } page && !string.IsNullOrEmpty(page.LaunchToken) ? page.Link("/app") : null;
        return new ViewResult
        {
            ViewName = "Refused",
            StatusCode = status,
            ViewData = new ViewDataDictionary<RefusalView>(metadata, context.ModelState) { Model = new RefusalView(title, refusal.Message, back) },
        };
    }
}

public sealed record RefusalView(string Title, string Message, string? BackLink);
