using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OrderX.Contracts;
using OrderX.Messaging;
using OrderX.Messaging.Inbox;
using OrderX.Notifications.Data;
using OrderX.Notifications.Email;
using OrderX.Notifications.IntegrationEvents;
using OrderX.ServiceDefaults;
using OrderX.ServiceDefaults.Auth;
using OrderX.ServiceData;

namespace OrderX.Notifications;

public static class Extensions
{
    public static WebApplicationBuilder AddNotificationServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>(new AfterCommitMetrics<Notification>(NotificationMetrics.Measure));
        builder.AddServiceDatabase<NotificationsDbContext, SqliteNotificationsDbContext, PostgresNotificationsDbContext>(OrderXService.Notification);
        // Before the messaging settings are bound, so a configured lane count wins over this default.
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{EmailOptions.Section}:{nameof(EmailOptions.SmtpHost)}"]))
            builder.Services.Configure<MessagingOptions>(o => o.ConsumerParallelBatches = EmailOptions.SmtpConsumerLanes);
        builder.AddServiceMessaging<NotificationsDbContext>(OrderXService.Notification)
            .Subscribe<OrderCompleted, OrderCompletedHandler>()
            .Subscribe<OrderCancelled, OrderCancelledHandler>()
            .Subscribe<PaymentRefunded, PaymentRefundedHandler>();
        builder.Services.Configure<EmailOptions>(o =>
        {
            builder.Configuration.GetSection(EmailOptions.Section).Bind(o);
            o.OutboxDirectory ??= Path.Combine(Path.GetFullPath(builder.Configuration["Data:Path"] ?? "data"), "mail");
        });
        builder.Services.AddSingleton<IEmailSender, EmailSender>();
        builder.Services.AddScoped<CustomerNotifier>();
        builder.Services.AddScoped<IBatchPreloader<NotificationsDbContext>, SubjectBatchPreloader<NotificationsDbContext, CustomerNotifier>>();
        builder.AddOrderXAuthentication();
        return builder;
    }
}
