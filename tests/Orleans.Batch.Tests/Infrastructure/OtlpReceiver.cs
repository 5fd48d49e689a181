using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>
/// An OTLP receiver on 127.0.0.1, over HTTP/protobuf (<c>/v1/metrics</c>, <c>/v1/traces</c>, <c>/v1/logs</c>) or over
/// gRPC (cleartext HTTP/2, <c>/opentelemetry.proto.collector.metrics.v1.MetricsService/Export</c>, ...), that accepts
/// what exporters send and decodes each protobuf payload far enough to list the text in it: metric, span, scope and
/// resource attribute names and values.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Signal, IReadOnlyList<string> Strings)> _payloads = new();
    private WebApplication? _app;

    /// <summary>The endpoint to give an exporter (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Every text found in the payloads of <paramref name="signal"/> (<c>metrics</c>, <c>traces</c>).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Payloads(string signal) => [.. _payloads.Where(p => p.Signal == signal).Select(p => p.Strings)];

    /// <summary>Starts an OTLP/HTTP receiver, or with <paramref name="grpc"/> an OTLP/gRPC one.</summary>
    public static async Task<OtlpReceiver> StartAsync(bool grpc = false)
    {
        var receiver = new OtlpReceiver();
        (receiver._app, receiver.Address) = grpc
            ? await LoopbackWebServer.StartAsync(
                app => app.MapPost("/opentelemetry.proto.collector.{signal}.v1.{service}/Export", receiver.ReceiveGrpcAsync),
                Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2)
            : await LoopbackWebServer.StartAsync(app => app.MapPost("/v1/{signal}", receiver.ReceiveAsync));
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>The text fields of a protobuf message, found by walking its wire format.</summary>
    public static List<string> TextOf(ReadOnlySpan<byte> message)
    {
        var strings = new List<string>();
        Walk(message, strings, depth: 0);
        return strings;
    }

    private async Task ReceiveAsync(HttpContext context, string signal)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        _payloads.Enqueue((signal, TextOf(body.ToArray())));

        // An empty Export*ServiceResponse: everything accepted.
        context.Response.ContentType = "application/x-protobuf";
        context.Response.StatusCode = 200;
    }

    private async Task ReceiveGrpcAsync(HttpContext context, string signal)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);

        // gRPC frames: a compressed flag byte and a 4-byte big-endian length before each message.
        var frames = body.ToArray().AsMemory();
        while (frames.Length >= 5)
        {
            var length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(frames.Span[1..5]);
            _payloads.Enqueue((signal, TextOf(frames.Span.Slice(5, length))));
            frames = frames[(5 + length)..];
        }

        // An empty Export*ServiceResponse in one frame, then status OK in the trailers.
        context.Response.ContentType = "application/grpc";
        await context.Response.Body.WriteAsync(new byte[5], context.RequestAborted);
        context.Response.AppendTrailer("grpc-status", "0");
    }

    private static bool Walk(ReadOnlySpan<byte> data, List<string> strings, int depth)
    {
        var found = new List<string>();
        var i = 0;
        while (i < data.Length)
        {
            if (!TryReadVarint(data, ref i, out var key) || key >> 3 == 0)
            {
                return false;
            }

            switch (key & 7)
            {
                case 0 when !TryReadVarint(data, ref i, out _):
                    return false;
                case 0:
                    break;
                case 1:
                    i += 8;
                    break;
                case 5:
                    i += 4;
                    break;
                case 2:
                    if (!TryReadVarint(data, ref i, out var length) || length > (ulong)(data.Length - i))
                    {
                        return false;
                    }

                    var field = data.Slice(i, (int)length);
                    i += (int)length;
                    if (field.Length > 0 && IsText(field))
                    {
                        found.Add(Encoding.UTF8.GetString(field));
                    }
                    else if (depth < 32 && !Walk(field, found, depth + 1))
                    {
                        // Bytes that are neither text nor a message (a trace id): nothing to read in them.
                    }

                    break;
                default:
                    return false;
            }
        }

        if (i != data.Length)
        {
            return false;
        }

        strings.AddRange(found);
        return true;
    }

    private static bool IsText(ReadOnlySpan<byte> field)
    {
        foreach (var b in field)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> data, ref int i, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && i < data.Length; shift += 7)
        {
            var b = data[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
