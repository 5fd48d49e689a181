namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>Polls until a condition holds, failing with the last value seen.</summary>
public static class Eventually
{
    public static async Task<T> MatchesAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, string expectation, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new ShouldAssertException($"Expected within {timeout.TotalSeconds:0.#}s: {expectation}. Last value: {value}");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(20));
        }
    }
}
