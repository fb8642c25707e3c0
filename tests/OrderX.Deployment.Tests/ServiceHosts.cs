using Microsoft.AspNetCore.Builder;

namespace OrderX.Deployment.Tests;

/// <summary>Every deployable's app builder and Dockerfile, so that deployment files can be checked against the code.</summary>
public static class ServiceHosts
{
    public static readonly IReadOnlyDictionary<string, (Func<string[], WebApplication> Build, string Dockerfile)> All =
        new Dictionary<string, (Func<string[], WebApplication> Build, string Dockerfile)>
        {
            ["gateway"] = (OrderX.Gateway.GatewayHost.Build, "gateway/Dockerfile"),
            ["user"] = (OrderX.Users.UserServiceHost.Build, "services/user-service/Dockerfile"),
            ["product"] = (OrderX.Products.ProductServiceHost.Build, "services/product-service/Dockerfile"),
            ["order"] = (OrderX.Orders.OrderServiceHost.Build, "services/order-service/Dockerfile"),
            ["payment"] = (OrderX.Payments.PaymentServiceHost.Build, "services/payment-service/Dockerfile"),
            ["notification"] = (OrderX.Notifications.NotificationServiceHost.Build, "services/notification-service/Dockerfile"),
        };
}
