namespace OrderX.AllInOne;

public static class Program
{
    public static Task Main(string[] args) => AllInOneHost.RunAsync(args);
}
