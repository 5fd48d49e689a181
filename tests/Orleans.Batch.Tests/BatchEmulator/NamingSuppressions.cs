using System.Diagnostics.CodeAnalysis;

// Test names read as sentences (CONTRIBUTING.md), so they have underscores.
[assembly: SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "Sentence-like test names", Scope = "namespaceanddescendants", Target = "~N:Orleans.Batch.Tests.BatchEmulator")]
