// The GraphDsl graph language: the canonical text printed by GraphDsl.Ir.IrPrinter plus a few
// conveniences for writing graphs by hand (see grammar/README.md).
grammar GraphDsl;

// ---------------------------------------------------------------- parser

file        : modelHeader? graph* EOF ;

modelHeader : MODEL name? fields? annotation* ;

// Graph-level attributes and annotations come first, so that an annotation on the line after a
// tensor or operator is never mistaken for a graph annotation.
graph       : GRAPH name '(' (param (',' param)*)? ')' '->' '(' (name (',' name)*)? ')'
              '{' ';'* graphAttributes? ';'* annotation* statement* '}' ;

param       : name (':' type quantization?)? ;

graphAttributes : ATTRIBUTES fields ;

statement   : tensorDecl | operatorStmt | ';' ;

tensorDecl  : kind=(TENSOR | CONST | VAR) name ':' type quantization? fields? annotation*
              ('=' constantData)? ;

constantData: DATA '(' STRING ')'      # dataReference
            | value                    # dataInline
            ;

operatorStmt: (OP name ':')? results '=' opType '(' (operand (',' operand)*)? ')' fields? annotation* ;

results     : '(' ')'
            | result (',' result)*
            ;

result      : '_'
            | name (':' type quantization?)?
            ;

operand     : '_' | name ;

opType      : STRING
            | anyWord ('.' anyWord)*
            ;

type        : ID shape ;

shape       : '[' '*' ']'                            # unknownRankShape
            | '[' (dim (',' dim)*)? ']'              # dimsShape
            ;

dim         : '-'? INT | '?' | '*' | name ;

quantization: Q '(' field (',' field)* ')' ;

annotation  : '@' name ('(' (field (',' field)* | value)? ')')? ;

fields      : '{' (field (',' field)* ','?)? '}' ;

field       : name '=' value ;

value       : '-'? INT                               # intValue
            | '-'? FLOAT                             # floatValue
            | '-'? INF                               # infValue
            | NAN                                    # nanValue
            | (TRUE | FALSE)                         # boolValue
            | STRING                                 # stringValue
            | BYTES                                  # bytesValue
            | ID                                     # wordValue
            | '[' (value (',' value)* ','?)? ']'     # listValue
            | fields                                 # recordValue
            ;

name        : ID | STRING ;

// Operator types may use keywords after a dot (ai.onnx.data) or alone in a dotted path.
anyWord     : ID | MODEL | GRAPH | TENSOR | CONST | VAR | OP | ATTRIBUTES | DATA | Q
            | TRUE | FALSE | INF | NAN | '_' ;

// ---------------------------------------------------------------- lexer

MODEL      : 'model' ;
GRAPH      : 'graph' ;
TENSOR     : 'tensor' ;
CONST      : 'const' ;
VAR        : 'var' ;
OP         : 'op' ;
ATTRIBUTES : 'attributes' ;
DATA       : 'data' ;
Q          : 'q' ;
TRUE       : 'true' ;
FALSE      : 'false' ;
INF        : 'inf' ;
NAN        : 'nan' ;
UNDERSCORE : '_' ;

BYTES      : 'b"' [0-9a-fA-F]* '"' ;
FLOAT      : DIGITS '.' DIGITS EXPONENT? | DIGITS EXPONENT ;
INT        : DIGITS ;
ID         : [A-Za-z_] [A-Za-z0-9_]* ;
STRING     : '"' (ESCAPE | ~["\\\r\n])* '"' ;

ARROW      : '->' ;
LPAREN     : '(' ;
RPAREN     : ')' ;
LBRACE     : '{' ;
RBRACE     : '}' ;
LBRACK     : '[' ;
RBRACK     : ']' ;
COMMA      : ',' ;
COLON      : ':' ;
SEMI       : ';' ;
EQUALS     : '=' ;
AT         : '@' ;
DOT        : '.' ;
MINUS      : '-' ;
QUESTION   : '?' ;
STAR       : '*' ;

LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS            : [ \t\r\n\f]+ -> skip ;

fragment DIGITS   : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? [0-9]+ ;
fragment ESCAPE   : '\\' (["\\nrt] | 'u' HEX HEX HEX HEX) ;
fragment HEX      : [0-9a-fA-F] ;
