namespace Orleans.Batch.Launcher; internal static class Program { private static int Main() => 0; }
