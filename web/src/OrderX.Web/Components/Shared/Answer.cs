using Microsoft.AspNetCore.Diagnostics;

namespace OrderX.Web.Components.Shared;

public static class Answer
{
    /// <summary>
    /// Answers <paramref name="status"/> with the page being rendered, not with the status-code pages' problem
    /// document: a person reads "Order not found", a crawler sees 404.
    /// </summary>
    public static void WithPage(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        if (context.Features.Get<IStatusCodePagesFeature>() is { } pages)
            pages.Enabled = false;
    }
}
