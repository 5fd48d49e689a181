using System.Text;
using Orleans.Batch.Application.Manager;

namespace Orleans.Batch.Tests.Application.Manager;

/// <summary>The manager's console hands standard error whole lines, so other threads' log entries never split one.</summary>
public sealed class LineBufferedWriterTests
{
    [Fact]
    public void A_line_written_in_pieces_reaches_the_writer_in_one_write()
    {
        var inner = new RecordingWriter();
        using var writer = new LineBufferedWriter(inner);

        writer.Write("err");
        writer.Write('o');
        writer.Write("r: the workload stopped\nnext ".ToCharArray(), 0, 29);
        inner.Writes.ShouldBe(["error: the workload stopped\n"]);

        writer.Write("line\nlast");
        writer.Flush();
        inner.Writes.ShouldBe(["error: the workload stopped\n", "next line\n", "last"]);
    }

    private sealed class RecordingWriter : TextWriter
    {
        public List<string> Writes { get; } = [];

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(string? value)
        {
            lock (Writes)
            {
                Writes.Add(value ?? "");
            }
        }
    }
}
