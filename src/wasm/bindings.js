// The JavaScript half of bindings.cpp, linked as an Emscripten JS library (--js-library): the
// functions bindings.cpp declares extern "C" and calls. Values cross as Embind handles (EM_VAL),
// text as a pointer and a byte length. Each entry is written as a `function`: Emscripten names it
// by rewriting that keyword, so an arrow function would come out nameless.
// Library entries named with a leading $ ($baanxText) are emitted without it.
/* global mergeInto, LibraryManager, Emval, HEAPU8, Module, baanxText */

mergeInto(LibraryManager.library, {
  $baanxText: function(pointer, length) {
    return new TextDecoder().decode(HEAPU8.subarray(pointer, pointer + length));
  },

  // A Promise with its settle functions: C++ cannot hand JS an executor.
  baanx_new_deferred__deps: ['$Emval'],
  baanx_new_deferred: function() {
    const deferred = {};
    deferred.promise = new Promise((resolve, reject) => {
      deferred.resolve = resolve;
      deferred.reject = reject;
    });
    return Emval.toHandle(deferred);
  },

  baanx_promise_of__deps: ['$Emval'],
  baanx_promise_of: function(deferred) {
    return Emval.toHandle(Emval.toValue(deferred).promise);
  },

  // Resolves with the value of the JSON text (undefined for none), or rejects with a BaanxError
  // made from it ({ code, message, status, field?, retryAfterMs? }).
  baanx_settle__deps: ['$Emval', '$baanxText'],
  baanx_settle: function(deferred, ok, json, length) {
    const value = length ? JSON.parse(baanxText(json, length)) : undefined;
    const settle = Emval.toValue(deferred);
    if (ok) {
      settle.resolve(value);
    } else {
      settle.reject(new Module.BaanxError(value.code, value.message, value));
    }
  },

  // Whether a call's options carried an AbortSignal (anything but undefined or null), and whether
  // it has fired.
  baanx_signal_given__deps: ['$Emval'],
  baanx_signal_given: function(signal) {
    return Emval.toValue(signal) != null;
  },
  baanx_signal_valid__deps: ['$Emval'],
  baanx_signal_valid: function(signal) {
    const value = Emval.toValue(signal);
    return typeof value === 'object' && typeof value.aborted === 'boolean' &&
      typeof value.addEventListener === 'function' &&
      typeof value.removeEventListener === 'function';
  },
  baanx_signal_aborted__deps: ['$Emval'],
  baanx_signal_aborted: function(signal) {
    return Emval.toValue(signal).aborted === true;
  },

  // Wires an AbortSignal to the module's cancel(); returns the function that unwires it.
  baanx_watch_signal__deps: ['$Emval'],
  baanx_watch_signal: function(signalHandle, client, call) {
    const signal = Emval.toValue(signalHandle);
    const onAbort = () => Module.cancel(client, call);
    signal.addEventListener('abort', onAbort);
    return Emval.toHandle(() => signal.removeEventListener('abort', onAbort));
  },

  baanx_call__deps: ['$Emval'],
  baanx_call: function(callback) {
    Emval.toValue(callback)();
  },

  // Asks the app for the code: ask(prompt) is api.js's async wrapper around onOtpRequired, which
  // resolves to the code as JSON text; the settled value goes back to the module's answerCode().
  // The prompt: { userId, phoneNumber, codeSent, resendAvailableAt, error }.
  baanx_ask__deps: ['$Emval', '$baanxText'],
  baanx_ask: function(ask, promptJson, length, ticket) {
    Emval.toValue(ask)(JSON.parse(baanxText(promptJson, length))).then(
      (code) => Module.answerCode(ticket, true, code),
      () => Module.answerCode(ticket, false, ''));
  },

  // A client's session changed: api.js's Module.sessionChanged gets the change ({ event, storage })
  // and the new session's record as text (null when there is none).
  baanx_session_changed__deps: ['$baanxText'],
  baanx_session_changed: function(client, changeJson, changeLength, record, recordLength) {
    Module.sessionChanged(client, JSON.parse(baanxText(changeJson, changeLength)),
      recordLength ? baanxText(record, recordLength) : null);
  },
});
