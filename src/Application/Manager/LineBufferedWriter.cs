using System.Text;

namespace Orleans.Batch.Application.Manager;

/// <summary>
/// Hands its writer whole lines, one write each. Spectre.Console writes a line in several pieces (one per styled
/// segment) and the manager's logger writes whole entries from other threads to the same standard error: without
/// this, a log entry can land in the middle of a line such as <c>error: …</c> in a pipe or a log file.
/// </summary>
internal sealed class LineBufferedWriter(TextWriter inner) : TextWriter
{
    private readonly StringBuilder _line = new();
    private readonly Lock _gate = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        lock (_gate)
        {
            _line.Append(value);
            if (value == '\n')
            {
                inner.Write(_line.ToString());
                _line.Clear();
            }
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        lock (_gate)
        {
            var start = 0;
            for (var newline = value.IndexOf('\n', start); newline >= 0; newline = value.IndexOf('\n', start))
            {
                _line.Append(value, start, newline - start + 1);
                inner.Write(_line.ToString());
                _line.Clear();
                start = newline + 1;
            }

            _line.Append(value, start, value.Length - start);
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Flush()
    {
        lock (_gate)
        {
            if (_line.Length > 0)
            {
                inner.Write(_line.ToString());
                _line.Clear();
            }

            inner.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }
}
