using System.Diagnostics.CodeAnalysis;

// Test names read as sentences (CONTRIBUTING.md), so they have underscores.
[assembly: SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "Sentence-like test names", Scope = "namespaceanddescendants", Target = "~N:Orleans.Batch.Tests.BatchEmulator")]

// Request bodies are written inline, as they go on the wire; caching their arrays would only hide them.
[assembly: SuppressMessage("Performance", "CA1861:Avoid constant arrays as arguments", Justification = "Inline request bodies", Scope = "namespaceanddescendants", Target = "~N:Orleans.Batch.Tests.BatchEmulator")]
