using System.Globalization;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Orleans.Batch.Application.Telemetry;

/// <summary>
/// <c>--metrics console</c>: one line per metric point on standard error (standard output carries the workload's
/// results, which OpenTelemetry's own console exporter would mix into), e.g.
/// <c>metric orleans.batch.aws.requests{rpc.service=Batch,rpc.method=SubmitJob,outcome=success} = 1</c>.
/// </summary>
internal sealed class ConsoleMetricExporter(TextWriter output) : BaseExporter<Metric>
{
    /// <inheritdoc />
    public override ExportResult Export(in Batch<Metric> batch)
    {
        var text = new StringBuilder();
        foreach (var metric in batch)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                text.Append("metric ").Append(metric.Name);
                AppendTags(text, point);
                text.Append(" = ").Append(Value(metric.MetricType, point));
                if (!string.IsNullOrEmpty(metric.Unit))
                {
                    text.Append(' ').Append(metric.Unit);
                }

                text.AppendLine();
            }
        }

        lock (output)
        {
            output.Write(text.ToString());
            output.Flush();
        }

        return ExportResult.Success;
    }

    private static void AppendTags(StringBuilder text, in MetricPoint point)
    {
        var first = true;
        foreach (var tag in point.Tags)
        {
            text.Append(first ? '{' : ',').Append(tag.Key).Append('=').Append(Convert.ToString(tag.Value, CultureInfo.InvariantCulture));
            first = false;
        }

        if (!first)
        {
            text.Append('}');
        }
    }

    private static string Value(MetricType type, in MetricPoint point) => type switch
    {
        MetricType.LongSum or MetricType.LongSumNonMonotonic => point.GetSumLong().ToString(CultureInfo.InvariantCulture),
        MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => point.GetSumDouble().ToString("0.###", CultureInfo.InvariantCulture),
        MetricType.LongGauge => point.GetGaugeLastValueLong().ToString(CultureInfo.InvariantCulture),
        MetricType.DoubleGauge => point.GetGaugeLastValueDouble().ToString("0.###", CultureInfo.InvariantCulture),
        MetricType.Histogram or MetricType.ExponentialHistogram => string.Create(
            CultureInfo.InvariantCulture, $"count {point.GetHistogramCount()}, sum {point.GetHistogramSum():0.###}"),
        _ => type.ToString(),
    };
}
