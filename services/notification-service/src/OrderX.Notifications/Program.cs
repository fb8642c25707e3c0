namespace OrderX.Notifications;

public static class Program
{
    public static Task Main(string[] args) => NotificationServiceHost.Build(args).RunAsync();
}
