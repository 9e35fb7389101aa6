//! Starting a model from documents other tools write. Headless: the CLI's `import`
//! command and the app's File > Import both call in here.
//!
//! - [`asyncapi`]: an AsyncAPI 3.0 or 3.1 document (YAML or JSON) as a starting model.

pub mod asyncapi;
