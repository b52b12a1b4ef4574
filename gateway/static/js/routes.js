// Every screen: its URL pattern, its module (loaded when first shown), its place in the navigation and the
// permission it needs. A screen module's default export is a component given `{params, query}`.
import * as permissions from "./permissions.js";

export const ROUTES = [
  { pattern: "/conversations", load: () => import("./screens/conversations.js"), nav: "Conversations", group: "Review", permission: permissions.METADATA_LIST },
  { pattern: "/conversations/:id", load: () => import("./screens/conversation.js"), permission: permissions.METADATA_GET },
  { pattern: "/nlu-inbox", load: () => import("./screens/nlu_inbox.js"), nav: "NLU inbox", group: "Review", permission: permissions.LOGS_LIST },
  { pattern: "/chat", load: () => import("./screens/chat.js"), nav: "Talk to your bot", group: "Review", permission: permissions.MESSAGES_CREATE },
  { pattern: "/training/examples", load: () => import("./screens/training_examples.js"), nav: "NLU examples", group: "Training data", permission: permissions.EXAMPLES_LIST },
  { pattern: "/training/intents", load: () => import("./screens/intents.js"), nav: "Intents", group: "Training data", permission: permissions.INTENTS_LIST },
  { pattern: "/training/entities", load: () => import("./screens/entities.js"), nav: "Entities & synonyms", group: "Training data", permission: permissions.ENTITIES_LIST },
  { pattern: "/training/regexes", load: () => import("./screens/regexes.js"), nav: "Regexes & lookups", group: "Training data", permission: permissions.REGEXES_LIST },
  { pattern: "/training/stories", load: () => import("./screens/stories.js"), nav: "Stories & rules", group: "Training data", permission: permissions.STORIES_LIST },
  { pattern: "/training/responses", load: () => import("./screens/responses.js"), nav: "Responses", group: "Training data", permission: permissions.RESPONSES_LIST },
  { pattern: "/training/domain", load: () => import("./screens/domain.js"), nav: "Domain & config", group: "Training data", permission: permissions.DOMAIN_GET },
  { pattern: "/models", load: () => import("./screens/models.js"), nav: "Models", group: "Models", permission: permissions.MODELS_LIST },
  { pattern: "/training-jobs", load: () => import("./screens/training_jobs.js"), nav: "Training", group: "Models", permission: permissions.MODEL_JOBS_LIST },
  { pattern: "/evaluation", load: () => import("./screens/evaluation.js"), nav: "Evaluation", group: "Models", permission: permissions.EVALUATIONS_GET },
  { pattern: "/share", load: () => import("./screens/share.js"), nav: "Share your bot", group: "Models", permission: permissions.CHAT_TOKEN_GET },
  { pattern: "/account", load: () => import("./screens/account.js"), nav: "My account", group: "Settings", permission: permissions.USER_GET },
  { pattern: "/users", load: () => import("./screens/users.js"), nav: "Users & roles", group: "Settings", permission: permissions.USERS_LIST },
];

/** Routes that work without signing in: the share-your-bot guest page takes its own token. */
export const PUBLIC_ROUTES = [{ pattern: "/guest", load: () => import("./screens/guest.js") }];
