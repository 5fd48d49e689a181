using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>The emulator's admin API (<c>/_emulator</c>, unsigned).</summary>
public sealed class EmulatorAdminClient(Uri baseAddress, Action<JsonArray>? onJobs = null) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Creates or replaces a queue; <paramref name="settings"/> holds the members of QueueRegistration.</summary>
    public async Task<JsonNode> PutQueueAsync(object settings)
    {
        using var response = await _http.PostAsync("_emulator/queues", BatchTestClient.JsonContent(settings, "application/json"));
        return await OkAsync(response);
    }

    public async Task<JsonNode> PatchQueueAsync(string name, object changes)
    {
        using var response = await _http.PatchAsync("_emulator/queues/" + name, BatchTestClient.JsonContent(changes, "application/json"));
        return await OkAsync(response);
    }

    public async Task<JsonArray> QueuesAsync() => (await GetAsync("_emulator/queues")).AsArray();

    public async Task AddFaultAsync(string kind, string? operation = null, int count = 1)
    {
        using var response = await _http.PostAsync("_emulator/faults", BatchTestClient.JsonContent(new { kind, operation, count }, "application/json"));
        await OkAsync(response);
    }

    public async Task ClearFaultsAsync()
    {
        using var response = await _http.DeleteAsync("_emulator/faults");
        await OkAsync(response);
    }

    public async Task<JsonNode> StatsAsync() => await GetAsync("_emulator/stats");

    /// <summary>The calls the emulator counted for <paramref name="operation"/>.</summary>
    public async Task<long> CallsAsync(string operation) =>
        (await StatsAsync())["operations"]?[operation]?["calls"]?.GetValue<long>() ?? 0;

    public async Task<JsonArray> JobsAsync(string? query = null)
    {
        var jobs = (await GetAsync("_emulator/jobs" + (query is null ? "" : "?" + query))).AsArray();
        onJobs?.Invoke(jobs);
        return jobs;
    }

    /// <summary>Takes the job's instance away now, as a Spot reclamation does.</summary>
    public async Task ReclaimAsync(string jobId)
    {
        using var response = await _http.PostAsync($"_emulator/jobs/{jobId}/reclaim", content: null);
        await OkAsync(response);
    }

    /// <summary>Gives the job's instance a Spot interruption notice, and reclaims it <paramref name="reclaimAfter"/> later if given.</summary>
    public async Task SpotNoticeAsync(string jobId, TimeSpan? reclaimAfter = null)
    {
        var query = reclaimAfter is { } after ? $"?reclaimAfterSeconds={after.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "";
        using var response = await _http.PostAsync($"_emulator/jobs/{jobId}/spot-notice{query}", content: null);
        await OkAsync(response);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => await _http.SendAsync(request);

    public async Task ShutdownAsync()
    {
        using var response = await _http.PostAsync("_emulator/shutdown", content: null);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    private async Task<JsonNode> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        return await OkAsync(response);
    }

    private static async Task<JsonNode> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"admin call {response.RequestMessage?.RequestUri} failed: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public void Dispose() => _http.Dispose();
}
