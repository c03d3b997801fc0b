global using FsCheck.Xunit;
global using Xunit;
