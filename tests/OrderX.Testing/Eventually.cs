namespace OrderX.Testing;

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

    /// <summary>Polls until <paramref name="done"/> holds for what <paramref name="read"/> returns, and returns that.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var value = await read();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"{what} did not happen within {timeoutSeconds} s; last seen: {value}");
            await Task.Delay(50);
        }
    }
}
