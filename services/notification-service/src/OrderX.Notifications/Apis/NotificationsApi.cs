using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using OrderX.Notifications.Data;
using OrderX.ServiceDefaults;
using OrderX.ServiceDefaults.Auth;

namespace OrderX.Notifications.Apis;

public sealed record NotificationDto(Guid Id, Guid OrderId, Guid UserId, string Email, string Kind, string Subject, string Body, DateTime CreatedAt)
{
    public static NotificationDto From(Notification n) => new(n.Id, n.OrderId, n.UserId, n.Email, n.Kind, n.Subject, n.Body, n.CreatedAt);
}

public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/notifications").RequireAuthorization(OrderXPolicies.Customer).MapGet("/", ListNotifications);
        return app;
    }

    /// <summary>What the caller was sent (all, or for <c>?orderId=</c>); an admin may ask for anyone's with <c>?userId=</c>.</summary>
    public static async Task<Results<Ok<List<NotificationDto>>, ValidationProblem>> ListNotifications(
        Guid? orderId, Guid? userId, ClaimsPrincipal caller, NotificationsDbContext db, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin())
            userId = caller.UserId();
        else if (orderId is null && userId is null)
            return ValidationErrors.Single("orderId", "orderId or userId is required.");
        var query = db.Notifications.AsNoTracking();
        if (orderId is not null)
            query = query.Where(n => n.OrderId == orderId);
        if (userId is not null)
            query = query.Where(n => n.UserId == userId);
        var notifications = await query.OrderByDescending(n => n.CreatedAt).Take(100).ToListAsync(cancellationToken);
        return TypedResults.Ok(notifications.Select(NotificationDto.From).ToList());
    }
}
