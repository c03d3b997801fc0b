global using Xunit;
global using FsCheck.Xunit;
