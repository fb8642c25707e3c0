namespace OrderX.Messaging.Tests;

public static class Eventually
{
    /// <summary>Polls until the condition holds; fails the test with the message when it never does.</summary>
    public static async Task HoldsAsync(Func<bool> condition, string failure, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail(failure);
            await Task.Delay(20);
        }
    }
}
