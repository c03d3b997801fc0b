global using FsCheck.Xunit;
global using Keystore.TestSupport.Auth;
global using Keystore.TestSupport.Logging;
global using Keystore.TestSupport.Node;
global using Keystore.TestSupport.Repository;
global using Keystore.TestSupport.Wasm;
global using Xunit;
