global using Keystore.TestSupport.Auth;
global using Keystore.TestSupport.Chain;
global using Keystore.TestSupport.Logging;
global using Keystore.TestSupport.Node;
global using Keystore.TestSupport.Repository;
global using Keystore.TestSupport.Wasm;
