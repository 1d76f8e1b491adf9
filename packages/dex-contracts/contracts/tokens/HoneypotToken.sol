// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.28;

import {ERC20Core} from "./ERC20Core.sol";

/// A token that treats transfers to and from its pool differently: buys (out of the pool) pay
/// `buyTaxBps`, sells (into the pool) pay `sellTaxBps` or revert when `sellsBlocked`. The owner
/// is exempt, so it can fund the pool and sell. With sells blocked or a punitive sell tax this is
/// the honeypot the intelligence service must find; with small taxes it is a legitimate taxed token.
contract HoneypotToken is ERC20Core {
    string public name;
    string public symbol;
    uint8 public constant decimals = 18;
    address public immutable owner;
    uint256 public immutable buyTaxBps;
    uint256 public immutable sellTaxBps;
    bool public immutable sellsBlocked;
    address public pair;

    constructor(string memory _name, string memory _symbol, uint256 _buyTaxBps, uint256 _sellTaxBps, bool _sellsBlocked) {
        require(_buyTaxBps <= 10_000 && _sellTaxBps <= 10_000, "HoneypotToken: TAX");
        name = _name;
        symbol = _symbol;
        buyTaxBps = _buyTaxBps;
        sellTaxBps = _sellTaxBps;
        sellsBlocked = _sellsBlocked;
        owner = msg.sender;
    }

    function mint(address to, uint256 value) external {
        require(msg.sender == owner, "HoneypotToken: FORBIDDEN");
        _mint(to, value);
    }

    function setPair(address _pair) external {
        require(msg.sender == owner, "HoneypotToken: FORBIDDEN");
        pair = _pair;
    }

    function _transfer(address from, address to, uint256 value) internal override {
        if (from == owner || to == owner || pair == address(0)) return _move(from, to, value);
        uint256 taxBps;
        if (to == pair) {
            require(!sellsBlocked, "HoneypotToken: TRANSFER_FAILED");
            taxBps = sellTaxBps;
        } else if (from == pair) {
            taxBps = buyTaxBps;
        }
        uint256 tax = (value * taxBps) / 10_000;
        if (tax > 0) _burn(from, tax);
        _move(from, to, value - tax);
    }
}
