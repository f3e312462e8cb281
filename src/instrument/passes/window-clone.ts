/*
 * The window optimization: every function gets a logging and a
 * non-logging version of its body, chosen at entry by whether the
 * server's recovery window is open (OSIRIS's function cloning, with the
 * dispatch inlined):
 *
 *   function f(a) { if (__rt.win()) { <body with store hooks> } else { <body> } }
 *   (a) => __rt.win() ? <expr with store hooks> : <expr>
 */
import ts from 'typescript';
import { isFunctionWithBody } from '../ast-util';
import { storeVisitor } from './store-hooks';

export function windowClonePass(rtName: string): ts.TransformerFactory<ts.SourceFile> {
  return (ctx) => {
    const f = ctx.factory;
    const win = () => f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier(rtName), 'win'), undefined, []);

    // Outside logged code: only descend, cloning every function met.
    const plain = (n: ts.Node): ts.Node => (isFunctionWithBody(n) ? cloneFunction(n) : ts.visitEachChild(n, plain, ctx));
    const logged = storeVisitor(ctx, rtName, (fn) => cloneFunction(fn));

    function cloneFunction(fn: ts.Node): ts.Node {
      const body = (fn as ts.FunctionLikeDeclaration).body!;
      let newBody: ts.ConciseBody;
      if (ts.isBlock(body)) {
        const withLog = ts.visitEachChild(body, logged, ctx) as ts.Block;
        const without = ts.visitEachChild(body, plain, ctx) as ts.Block;
        newBody = f.updateBlock(body, [f.createIfStatement(win(), withLog, without)]);
      } else {
        const withLog = ts.visitNode(body, logged) as ts.Expression;
        const without = ts.visitNode(body, plain) as ts.Expression;
        newBody = f.createParenthesizedExpression(f.createConditionalExpression(win(), undefined, withLog, undefined, without));
      }
      // Parameters (default values) are visited as plain code.
      const params = (fn as ts.FunctionLikeDeclaration).parameters.map((p) => ts.visitNode(p, plain) as ts.ParameterDeclaration);
      if (ts.isFunctionDeclaration(fn)) return f.updateFunctionDeclaration(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, params, fn.type, newBody as ts.Block);
      if (ts.isFunctionExpression(fn)) return f.updateFunctionExpression(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, params, fn.type, newBody as ts.Block);
      if (ts.isArrowFunction(fn)) return f.updateArrowFunction(fn, fn.modifiers, fn.typeParameters, params, fn.type, fn.equalsGreaterThanToken, newBody);
      if (ts.isMethodDeclaration(fn)) return f.updateMethodDeclaration(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.questionToken, fn.typeParameters, params, fn.type, newBody as ts.Block);
      if (ts.isConstructorDeclaration(fn)) return f.updateConstructorDeclaration(fn, fn.modifiers, params, newBody as ts.Block);
      if (ts.isGetAccessorDeclaration(fn)) return f.updateGetAccessorDeclaration(fn, fn.modifiers, fn.name, params, fn.type, newBody as ts.Block);
      if (ts.isSetAccessorDeclaration(fn)) return f.updateSetAccessorDeclaration(fn, fn.modifiers, fn.name, params, newBody as ts.Block);
      return fn;
    }

    return (sf) => ts.visitEachChild(sf, plain, ctx);
  };
}
