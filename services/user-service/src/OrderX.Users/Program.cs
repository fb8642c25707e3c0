namespace OrderX.Users;

public static class Program
{
    public static Task Main(string[] args) => UserServiceHost.Build(args).RunAsync();
}
